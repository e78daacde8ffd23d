// The demo under test runs on ports of its own, apart from `npm run demo` (3000, 3001, 5499) and
// the main e2e server (3210), so both can run beside it.
export const DEMO_E2E_PORT = 3240;
export const DEMO_E2E_CONTROL_PORT = 3241;
export const DEMO_E2E_APP_DATABASE_PORT = 5498;

export const demoUrl = `http://127.0.0.1:${DEMO_E2E_PORT}`;
export const controlUrl = `http://127.0.0.1:${DEMO_E2E_CONTROL_PORT}`;
