// Format versions of the data files, shared by the zod schemas (app/projects/project.ts,
// app/tokens/token.ts, app/audit/audit-event.ts) and the zod-free readers and writers the bridge
// uses (*-file.ts, app/audit/segment-writer.ts).
export const PROJECTS_FILE_VERSION = 1;
export const TOKENS_FILE_VERSION = 1;
export const AUDIT_EVENT_VERSION = 1;
