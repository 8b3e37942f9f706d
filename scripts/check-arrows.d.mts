/** Types of scripts/check-arrows.mjs for the TypeScript that imports it (its test). */
export function checkArrows(root: string, options?: { graph?: boolean }): { code: 0 | 1; stdout: string[]; stderr: string[] };
