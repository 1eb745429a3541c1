export { startTestServer, type TestServer } from '../../../../test/support/server';
