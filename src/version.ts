// Orchard's version: one neutral value that the health check and the portal both show.
export const VERSION = '0.1.0';
