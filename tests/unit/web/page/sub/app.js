export const x = '\x';
