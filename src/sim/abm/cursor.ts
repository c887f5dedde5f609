/**
 * Cursors are unpadded base64url of colon-separated fields, like Apple's. They carry the position
 * of the last device sent (positions only grow, so edits between pages neither skip nor repeat
 * devices) and when they were issued (for the optional expiry).
 */
export interface SimCursor {
  after: number;
  issuedAt: number;
}

export function encodeCursor(c: SimCursor): string {
  return Buffer.from(`0:${c.after}:${c.issuedAt}`).toString('base64url');
}

export function decodeCursor(text: string): SimCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const parts = Buffer.from(text, 'base64url').toString('utf8').split(':');
  if (parts.length !== 3 || parts[0] !== '0' || !parts.slice(1).every((p) => /^\d+$/.test(p)))
    return undefined;
  return { after: Number(parts[1]), issuedAt: Number(parts[2]) };
}
