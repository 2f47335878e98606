/** The password of every demo user (demo mode, or explicitly allowed with ALLOW_DEMO_USERS=true). */
export const DEMO_PASSWORD = 'demo-password';
