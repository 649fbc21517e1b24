/** Owners write regular expressions as "/pattern/flags" strings, in triggers, `expect` and `matches`. */

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

export function isRegexLiteral(text: string): boolean {
  return REGEX_LITERAL.test(text);
}

/** Compiles "/pattern/flags"; throws SyntaxError with the engine's reason when it is invalid. */
export function compileRegex(text: string): RegExp {
  const m = REGEX_LITERAL.exec(text);
  if (!m) throw new SyntaxError(`"${text}" is not of the form /pattern/flags`);
  // Stateful flags would make the same message match or not depending on the previous one.
  const flags = m[2]!.replace(/[gy]/g, '');
  if (flags.includes('u') || flags.includes('v')) return new RegExp(m[1]!, flags);
  try {
    // Unicode mode makes \p{L} and emoji work; patterns valid only without it (like "\-") keep the flags as written.
    return new RegExp(m[1]!, `${flags}u`);
  } catch {
    return new RegExp(m[1]!, flags);
  }
}
