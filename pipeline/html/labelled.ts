/**
 * A number label and its title as one string (PDF bookmarks, page titles): a space between them, except
 * after a Chinese label that ends in its own punctuation — "一、全球", "（一）连接", not "一、 全球".
 */
export function labelled(label: string | undefined, title: string): string {
  if (!label) return title;
  return /[、）)．]$/.test(label) ? label + title : `${label} ${title}`;
}
