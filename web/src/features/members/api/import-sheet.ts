import type { z } from 'zod';
import type { ImportReportResponse } from '../../../../../src/modules/imports/schemas.ts';
import { ApiError } from '../../../lib/api';
import type { ImportKind } from '../utils/preview-model';

export type ImportReport = z.infer<typeof ImportReportResponse>;

export interface UploadProgress {
  /** 'upload' while the file goes up (percent known), 'check' while the server reads it. */
  phase: 'upload' | 'check';
  percent: number;
}

/**
 * POST /api/imports/{members|orgs}[?dryRun=true] with the file as multipart "file". Sent with
 * XMLHttpRequest rather than fetch because only it reports upload progress (a 50 MB sheet on a
 * county office line takes a while).
 */
export function importSheet(
  kind: ImportKind,
  file: File,
  options: {
    dryRun: boolean;
    csrfToken: string;
    onProgress?: (p: UploadProgress) => void;
    signal?: AbortSignal;
  },
): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports/${kind}${options.dryRun ? '?dryRun=true' : ''}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', options.csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.({ phase: 'upload', percent: (e.loaded / e.total) * 100 });
    };
    xhr.upload.onload = () => options.onProgress?.({ phase: 'check', percent: 100 });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as ImportReport);
      if (xhr.status === 401) window.dispatchEvent(new Event('gj:unauthenticated'));
      reject(new ApiError(xhr.status, body));
    };
    const network = () =>
      reject(
        new ApiError(0, {
          error: {
            code: 'network',
            message: '网络连接失败，文件未能上传，请检查网络后重试',
            messageEn: 'network error: the file was not uploaded; check the connection and try again',
          },
        }),
      );
    xhr.onerror = network;
    xhr.ontimeout = network;
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
