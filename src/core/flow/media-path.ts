/**
 * Pictures and files the bot sends must live under data/ in the shop's folder: a path a template fills in from a
 * catalogue row or a customer's answer must never make the bot send other files of the machine.
 */
export function isDataPath(path: string): boolean {
  return /^data\/[^\\\0]+$/.test(path) && !path.split('/').some((part) => part === '..' || part === '.' || part === '');
}
