// The part of unzipper 0.10 (a dependency of exceljs) the xlsx reader uses: a zip opened by its
// central directory, each entry streamed on its own.
declare module 'unzipper' {
  export interface File {
    path: string;
    type: 'File' | 'Directory';
    uncompressedSize: number;
    compressedSize: number;
    stream(password?: string): NodeJS.ReadableStream;
  }
  export interface CentralDirectory {
    files: File[];
  }
  const unzipper: { Open: { file(path: string): Promise<CentralDirectory> } };
  export default unzipper;
}
