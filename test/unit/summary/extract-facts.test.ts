import { describe, expect, it } from 'vitest';
import { extractFacts, factsInText } from '../../../src/domain/summary/extract-facts.js';
import { maskEmail, maskEmails } from '../../../src/domain/summary/readable-text.js';

const PRODUCTS = ['Acme Billing', 'Acme API', 'Payroll Sync'];
const facts = (text: string, products: readonly string[] = PRODUCTS) =>
  factsInText(text, products).map((f) => `${f.kind}: ${f.text}`);

describe('money amounts, with their currency', () => {
  it.each([
    ['We were charged $1,250 twice', 'amount: $1,250'],
    ['The invoice says AUD 12,500', 'amount: AUD 12,500'],
    ['a refund of €3.2m', 'amount: EUR 3,200,000'],
    ['£20k lost this quarter', 'amount: GBP 20,000'],
    ['it was 15,000 AUD', 'amount: AUD 15,000'],
    ['USD 9,999.99 pending', 'amount: USD 9,999.99'],
    ['about 500 dollars', 'amount: 500 dollars'],
  ])('%s', (text, expected) => {
    expect(facts(text)).toEqual([expected]);
  });

  it('one amount written two ways is one fact', () => {
    expect(extractFacts([customer('$1,250 charged'), customer('the 1250 dollars')], [])).toMatchObject([
      { kind: 'amount', text: '$1,250', mentions: 2 },
    ]);
  });

  it('numbers without a currency are not money', () => {
    expect(facts('Step 3 of 12 failed at 14:05 on 12/05, version 1.5.2, 50% done')).toEqual([]);
  });
});

describe('order, invoice, ticket and case numbers', () => {
  it.each([
    ['Order #A-1042 was charged twice', 'reference: Order A-1042'],
    ['see #A-1042 please', 'reference: #A-1042'],
    ['Invoice INV-2026-0042 is wrong', 'reference: Invoice INV-2026-0042'],
    ['INV-2026-0042 is wrong', 'reference: INV-2026-0042'],
    ['my order 12345 never came', 'reference: Order 12345'],
    ['ticket 98765 was closed', 'reference: Ticket 98765'],
    ['case: 55123', 'reference: Case 55123'],
    ['the order number is 88231', 'reference: Order 88231'],
    ['invoice no. 2026-0042', 'reference: Invoice 2026-0042'],
    ['PO-7781 and RMA-5521', 'reference: PO-7781'],
    ['see #12345', 'reference: #12345'],
  ])('%s', (text, expected) => {
    expect(facts(text)[0]).toBe(expected);
  });

  it('a bare hash, a channel, an entity or a short number is not a reference', () => {
    expect(facts('see #general and <#C0123456|support> &#39;1234, order 2 days ago, case 7')).toEqual([]);
  });

  it('#A-1042 and "order A-1042" are one fact, shown with its label', () => {
    const [fact] = extractFacts([customer('#A-1042 please'), customer('order A-1042 still missing')], []);
    expect(fact).toMatchObject({ kind: 'reference', text: 'Order A-1042', mentions: 2 });
  });
});

describe('error codes and HTTP errors', () => {
  it.each([
    ['Export fails with E1234', 'error: E1234'],
    ['net::ERR_CONNECTION_RESET in Chrome', 'error: ERR_CONNECTION_RESET'],
    ['Sign-in says AADSTS50011: reply URL mismatch', 'error: AADSTS50011'],
    ['connect ECONNREFUSED 10.0.0.1:443', 'error: ECONNREFUSED'],
    ['ORA-00942: table or view does not exist', 'error: ORA-00942'],
    ['HRESULT 0x80070005', 'error: 0x80070005'],
    ['it throws a NullPointerException', 'error: NullPointerException'],
    ['TLS says CERT_HAS_EXPIRED', 'error: CERT_HAS_EXPIRED'],
    ['MySQL Error 1045 on connect', 'error: Error 1045'],
    ['The API returns error 502 on every call', 'error: HTTP 502 Bad Gateway'],
    ['HTTP 503 since this morning', 'error: HTTP 503 Service Unavailable'],
    ['we get 404 Not Found on /export', 'error: HTTP 404 Not Found'],
    ['it returns 500 when I log in', 'error: HTTP 500 Internal Server Error'],
    ['status code 429 again', 'error: HTTP 429 Too Many Requests'],
  ])('%s', (text, expected) => {
    expect(facts(text)).toContain(expected);
  });

  it('counts and amounts that look like statuses are not HTTP errors', () => {
    expect(facts('we got 500 users and paid $404')).toEqual(['amount: $404']);
  });
});

describe('product names from the policy', () => {
  it('finds them in any case, named as the policy spells them, whole words only', () => {
    expect(facts('acme billing and ACME API are down; Acme Billingsworth is not ours')).toEqual([
      'product: Acme Billing',
      'product: Acme API',
    ]);
  });

  it('finds nothing when the policy lists no products', () => {
    expect(facts('Acme Billing is down', [])).toEqual([]);
  });
});

describe('e-mail addresses are masked', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('carla.customer@Acme.com')).toBe('c***@acme.com');
    expect(maskEmails('write to carla@acme.com or bob@example.org')).toBe(
      'write to c***@acme.com or b***@example.org',
    );
  });

  it('an address is a fact only in its masked form, also inside Slack mailto links', () => {
    const found = factsInText('reach me at <mailto:carla@acme.com|carla@acme.com>', []);
    expect(found).toEqual([{ kind: 'email', text: 'c***@acme.com', key: 'email:c***@acme.com' }]);
    expect(JSON.stringify(found)).not.toContain('carla');
  });
});

describe('the facts of a whole thread', () => {
  it("are de-duplicated and ranked: the customer's first, the most mentioned, kinds taking turns", () => {
    const thread = [
      customer('Order #A-1042 was charged twice, $1,250.'),
      staff('Can you send ticket 555123 from the portal?'),
      customer('Still charged $1,250, and the export shows E1234.'),
      customer('again E1234 on order A-1042'),
    ];
    expect(extractFacts(thread, []).map((f) => [f.text, f.mentions, f.fromCustomer])).toEqual([
      ['Order A-1042', 2, true],
      ['$1,250', 2, true],
      ['E1234', 2, true],
      ['Ticket 555123', 1, false],
    ]);
  });

  it('remembers where each fact first and last came up (1-based)', () => {
    const thread = [customer('hello'), customer('E1234 here'), staff('nothing'), customer('E1234 again')];
    expect(extractFacts(thread, [])[0]).toMatchObject({ text: 'E1234', firstMessage: 2, lastMessage: 4 });
  });

  it('reads long messages quickly: 500 messages of 2,000 characters in well under 100 ms', () => {
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';
    const thread = Array.from({ length: 500 }, (_, i) =>
      customer(
        `${i % 9 === 0 ? `Order #${10_000 + i} costs $${i + 1},000 with E${1000 + i}. ` : ''}${filler.repeat(30)}`.slice(
          0,
          2000,
        ),
      ),
    );
    extractFacts(thread, PRODUCTS); // warm up the regular expressions
    const started = performance.now();
    const found = extractFacts(thread, PRODUCTS);
    expect(performance.now() - started).toBeLessThan(100);
    expect(found.length).toBeGreaterThan(150);
  });
});

function customer(text: string) {
  return { text, fromCustomer: true };
}
function staff(text: string) {
  return { text, fromCustomer: false };
}
