/** "482 KB", "1.2 MB": a file's size for people (1 KB = 1,000 bytes, as file managers show). */
export function fileSize(bytes) {
  if (bytes < 1000) return `${bytes} bytes`
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}
