import { useMutation } from '@tanstack/react-query';
import { deviceWrites, LABELS_FILE_NAME, type LabelFormat } from '../../api/devices';
import { saveFile } from '../../api/saveFile';
import { useApiWrite } from '../../api/session';

export interface LabelsRequest {
  deviceIds: readonly string[];
  format: LabelFormat;
}

/** DEV-10: asks the server for the labels of these devices and saves the PDF as device-labels.pdf. */
export function usePrintLabels() {
  const api = useApiWrite();
  return useMutation({
    mutationFn: async ({ deviceIds, format }: LabelsRequest) =>
      saveFile(await deviceWrites(api).labels(deviceIds, format), LABELS_FILE_NAME),
  });
}
