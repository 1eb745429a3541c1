import { Box, Card, Center, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from '../shell/Brand';
import { ColorSchemeToggle } from '../shell/ColorSchemeToggle';
import classes from './AuthFrame.module.css';

/** The frame of the pages before the app: sign-in and sign-up, a card in the middle of the screen. */
export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <Box className={classes.frame}>
      <Group justify="space-between" px="md" py="sm" component="header">
        <Brand />
        <ColorSchemeToggle />
      </Group>
      <Center component="main" px="md" py="xl" className={classes.main}>
        <Card withBorder radius="lg" padding="xl" shadow="sm" w="100%" maw={460}>
          <Stack gap="lg">{children}</Stack>
        </Card>
      </Center>
    </Box>
  );
}
