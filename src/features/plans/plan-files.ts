/** What the plan importer reads: the types offered when choosing a plan file. */
export const PLAN_FILE_TYPES = '.docx,.odt,.pdf,.txt,.tsv,.csv,.html,.htm';
