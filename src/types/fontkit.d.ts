// fontkit (pdfkit's font engine) ships no types: what src/lib/pdf/layout.ts uses. The parsed font
// is handed to pdfkit's registerFont, which accepts any object with a layout() method.
declare module 'fontkit' {
  interface Font {
    postscriptName: string;
    layout(text: string, features?: unknown): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
