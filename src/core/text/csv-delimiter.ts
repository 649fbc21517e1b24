/** Spreadsheets saved in Indonesian (and other comma-decimal) locales separate columns with ";". */
export function csvDelimiter(text: string): ',' | ';' {
  const headerLine = text.split(/[\r\n]+/).find((line) => line.trim()) ?? '';
  return headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
}
