import type { OutcomeUnit } from '../../../../src/domain/pairings.ts';
import { ApiError, api } from '../../lib/api';

/**
 * Visits logged on a phone go through this outbox: each draft is kept in IndexedDB (photos as
 * Blobs) until the server has the visit and every photo, so a dropped connection loses nothing.
 * Each draft carries its own reference (clientRef): when an answer is lost and the draft is sent
 * again, the server returns the visit it already saved instead of a copy.
 */
export interface VisitBody {
  pairingIds: number[];
  visitedOn: string;
  kind: string;
  content: string;
  clientRef: string;
  problemsFound?: string;
  problemsSolved?: string;
  outcomes?: { unit: OutcomeUnit; amount: number; note?: string }[];
  participantIds?: number[];
}

export interface Draft {
  clientRef: string;
  body: VisitBody;
  photos: Blob[];
  /** Photos already on the server (a retry sends the rest). */
  photosSent: number;
  visitId: number | null;
  createdAt: string;
  /** Why the server refused it (a 4xx): kept for the user to see, not retried. */
  error: string | null;
}

const DB_NAME = 'gongjian';
const STORE = 'visit-outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE))
        req.result.createObjectStore(STORE, { keyPath: 'clientRef' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

export const newClientRef = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

export const putDraft = (d: Draft) => tx('readwrite', (s) => s.put(d));
export const removeDraft = (ref: string) => tx('readwrite', (s) => s.delete(ref));
export const listDrafts = async (): Promise<Draft[]> =>
  ((await tx('readonly', (s) => s.getAll())) as Draft[]).sort((a, b) =>
    a.createdAt.localeCompare(b.createdAt),
  );

const listeners = new Set<() => void>();
/** Called whenever the outbox changes (the shell's counter, the visit screen). */
export function onOutboxChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
const changed = () => {
  for (const fn of listeners) fn();
};

const savedListeners = new Set<(visitId: number) => void>();
/**
 * Called each time the server has a visit from the outbox, whoever sent it (the visit screen, the
 * shell's retry): the place to refresh what a visit changes, wherever the user is now.
 */
export function onVisitSaved(fn: (visitId: number) => void): () => void {
  savedListeners.add(fn);
  return () => {
    savedListeners.delete(fn);
  };
}

export type SendResult =
  | { ok: true; visitId: number }
  | { ok: false; offline: boolean; message: string; messageEn: string; error?: unknown };

/** Sends one draft: the visit (idempotent by clientRef), then the photos not yet sent. */
export async function sendDraft(d: Draft): Promise<SendResult> {
  try {
    let visitId = d.visitId;
    if (visitId === null) {
      visitId = (await api.post<{ id: number }>('/api/visits', d.body)).id;
      d.visitId = visitId;
      await putDraft(d);
    }
    for (let i = d.photosSent; i < d.photos.length; i++) {
      const form = new FormData();
      form.append('file', d.photos[i] as Blob, `photo-${i + 1}.jpg`);
      await api.upload(`/api/visits/${visitId}/photos`, form);
      d.photosSent = i + 1;
      await putDraft(d);
    }
    await removeDraft(d.clientRef);
    changed();
    for (const fn of savedListeners) fn(visitId);
    return { ok: true, visitId };
  } catch (e) {
    const offline = !(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.status === 429;
    const message = e instanceof ApiError ? e.messageZh : '发送失败';
    const messageEn = e instanceof ApiError ? e.messageEn : 'sending failed';
    if (!offline) {
      d.error = message;
      await putDraft(d);
      changed();
    }
    return { ok: false, offline, message, messageEn, error: e };
  }
}

let flushing: Promise<number> | null = null;
/** Sends every waiting draft that the server has not refused; returns how many were saved. */
export function flushOutbox(): Promise<number> {
  flushing ??= (async () => {
    let saved = 0;
    try {
      for (const d of await listDrafts()) {
        if (d.error) continue;
        const r = await sendDraft(d);
        if (r.ok) saved++;
        else if (r.offline) break;
      }
    } finally {
      flushing = null;
      changed();
    }
    return saved;
  })();
  return flushing;
}

/** Keeps a draft and tries to send it at once; answers whether the server has it. */
export async function submitVisit(body: Omit<VisitBody, 'clientRef'>, photos: Blob[]) {
  const draft: Draft = {
    clientRef: newClientRef(),
    body: { ...body, clientRef: '' },
    photos,
    photosSent: 0,
    visitId: null,
    createdAt: new Date().toISOString(),
    error: null,
  };
  draft.body.clientRef = draft.clientRef;
  await putDraft(draft);
  changed();
  if (!navigator.onLine) {
    return {
      ok: false,
      offline: true,
      message: '当前无网络',
      messageEn: 'offline',
      clientRef: draft.clientRef,
    } as const;
  }
  const r = await sendDraft(draft);
  if (!r.ok && !r.offline && draft.visitId === null) {
    // Refused as typed (a field is wrong): the form shows why; nothing is kept to resend.
    await removeDraft(draft.clientRef);
    changed();
  }
  return { ...r, clientRef: draft.clientRef };
}
