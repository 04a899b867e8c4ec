export const late = "loaded by a dynamic import";
