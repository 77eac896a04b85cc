/**
 * One tab of the playground. The shell mounts a mode into an empty element and, before it mounts another,
 * awaits `unmount()`: the mode stops its training loop there and frees every tensor it made, so that switching
 * tabs never leaks (the debug panel shows `tf.memory()`).
 */
export interface PlaygroundMode {
  /** The tab's label. */
  readonly title: string;
  mount(root: HTMLElement): void;
  unmount(): Promise<void>;
}
