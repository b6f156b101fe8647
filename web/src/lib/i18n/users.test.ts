import { describe, expect, it } from 'vitest';
import en from './locales/users.en.json';
import th from './locales/users.th.json';

/** The names of an ICU message's arguments, `{name}` and `{name, plural, … {…}}` alike, branches included. */
function argumentsOf(message: string): Set<string> {
  const names = new Set<string>();
  let i = 0;
  const text = (nested: boolean) => {
    while (i < message.length) {
      if (message[i] === '{') argument();
      else if (message[i] === '}' && nested) return;
      else i++;
    }
  };
  const argument = () => {
    const head = /^\{\s*(\w+)\s*(?:,\s*(\w+)\s*)?/.exec(message.slice(i));
    if (!head) throw new Error(`not an argument at ${i}: ${message}`);
    names.add(head[1]);
    i += head[0].length;
    if (head[2] === 'plural' || head[2] === 'select' || head[2] === 'selectordinal') {
      i += 1;
      while (message[i] !== '}') {
        const selector = /^\s*[^\s{]+\s*\{/.exec(message.slice(i));
        if (!selector) throw new Error(`no branch at ${i}: ${message}`);
        i += selector[0].length;
        text(true);
        i += 1;
        while (message[i] === ' ') i++;
      }
    } else {
      while (message[i] !== '}') i++;
    }
    i += 1;
  };
  text(false);
  return names;
}

describe('the users page dictionaries', () => {
  it('have the same keys in English and Thai', () => {
    expect(Object.keys(th).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s names the same values in both languages, and the Thai is Thai', (key) => {
    const english = (en as Record<string, string>)[key];
    const thai = (th as Record<string, string>)[key];
    expect(argumentsOf(thai)).toEqual(argumentsOf(english));
    expect(thai).toMatch(/[\u0E00-\u0E7F]/);
  });

  it('reads the arguments of a plural message and of its branches', () => {
    expect(argumentsOf('{count, plural, one {# user in {account}} other {# users}} on {tier}')).toEqual(new Set(['count', 'account', 'tier']));
  });
});
