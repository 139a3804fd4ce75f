// miniprogram-simulate ships no types; this covers what the page tests use.
declare module 'miniprogram-simulate' {
  const simulate: {
    load(componentPath: string, options?: Record<string, unknown>): string;
    render(id: string, properties?: Record<string, unknown>): any;
    sleep(ms: number): Promise<void>;
  };
  export default simulate;
}

declare module 'miniprogram-exparser' {
  const exparser: {
    Event: { dispatchEvent(target: unknown, event: unknown): void; create(name: string, detail: unknown, options: Record<string, unknown>): unknown };
  };
  export default exparser;
}
