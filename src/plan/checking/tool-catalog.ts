/** One way a tool's parameters miss its schema; path is where, inside the parameters. */
export interface ParameterIssue {
  path: (string | number)[];
  message: string;
  /** The key itself is wrong, whatever its value: reported even where the value is known only at run time. */
  unknownKey?: true;
}

/** The tools a plan may call, as validation needs to see them. */
export interface ToolCatalog {
  has(toolName: string): boolean;
  checkParameters(toolName: string, parameters: Record<string, unknown>): ParameterIssue[];
  /** Whether steps of the tool may run as local activities (short tools that need no heartbeat); absent: not judged. */
  mayRunLocally?(toolName: string): boolean;
  /** What is wrong with an unknown tool's name, when the catalog can say more than "unknown" (a misspelt server). */
  unknownToolHint?(toolName: string): string | null;
  /** Every tool name it knows, to suggest the one a misspelt name meant; absent: no suggestion. */
  names?(): readonly string[];
}
