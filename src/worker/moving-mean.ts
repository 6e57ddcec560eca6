/** An exponentially weighted moving mean: recent values count most, old ones fade. */
export class MovingMean {
  private value: number | undefined;

  /** @param weight share of each new value, in (0, 1] */
  constructor(private readonly weight = 0.1) {}

  add(sample: number): void {
    this.value = this.value === undefined ? sample : this.value + this.weight * (sample - this.value);
  }

  /** Undefined until the first sample. */
  get mean(): number | undefined {
    return this.value;
  }
}
