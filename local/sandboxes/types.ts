/** What every simulator mounted under /sandbox/<name> receives and answers. */
export interface SandboxRequest {
  method: string;
  /** The path below the simulator's mount point, e.g. `/v2/miniapppay`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The body as a JSON object; throws HttpError(400) when it is not one. */
  json(): Record<string, unknown>;
}

export interface SimReply {
  status: number;
  body: Record<string, unknown> | string;
  headers?: Record<string, string>;
  /** Destroy the connection without writing anything (an answer lost on the way); status and body are ignored. */
  drop?: boolean;
}

export interface Sandbox {
  handle(req: SandboxRequest): SimReply | Promise<SimReply>;
}
