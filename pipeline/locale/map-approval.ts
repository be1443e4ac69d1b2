/**
 * The approval number (审图号) of a map as an edition prints it. The number is issued in Chinese,
 * "GS(2026)0000号", and book.yaml, the framework and `::chart approval=` give it so; 号 is the Chinese
 * counter ("No."), which the English sentence "Map approval number: …" already says. A Latin-script
 * edition prints the number without it ("GS(2026)0000"); a Chinese edition prints it as given.
 */
export function mapApprovalNumber(number: string, cjk: boolean): string {
  return cjk ? number : number.trim().replace(/\s*[号號]$/u, '');
}
