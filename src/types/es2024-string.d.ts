// ES2024's well-formed string methods, which Node 20 has (V8 11.3). The compiler's lib stays
// ES2023 so that the rest of ES2024 (Object.groupBy, Promise.withResolvers…: not all in
// Node 20) is not typed as available.
interface String {
  isWellFormed(): boolean;
  toWellFormed(): string;
}
