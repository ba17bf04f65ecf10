import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { prerender } from 'react-dom/static';
import { describe, expect, it } from 'vitest';
import { lazyPart } from './lazyPart';

function Greeting({ name }: { name: string }) {
  return createElement('p', null, `Hello ${name}`);
}
function Loading({ name }: { name: string }) {
  return createElement('p', null, `Loading ${name}`);
}

/** A part whose load is settled by hand: `resolve()` or `reject(error)`; `calls` counts loads. */
function handPart() {
  const hand: { calls: number; resolve: () => void; reject: (e: Error) => void } = {
    calls: 0,
    resolve: () => {},
    reject: () => {},
  };
  const part = lazyPart(
    'greeting',
    () =>
      new Promise<typeof Greeting>((resolve, reject) => {
        hand.calls++;
        hand.resolve = () => resolve(Greeting);
        hand.reject = reject;
      }),
    Loading,
  );
  return { part, hand };
}

async function html(element: ReturnType<typeof createElement>): Promise<string> {
  const { prelude } = await prerender(element);
  return new Response(prelude).text();
}

describe('lazyPart', () => {
  it('shows the fallback, with the same props, until the chunk arrives, then the part', async () => {
    const { part, hand } = handPart();
    expect(renderToString(createElement(part, { name: 'Ada' }))).toContain('Loading Ada');
    const done = html(createElement(part, { name: 'Ada' }));
    hand.resolve();
    const out = await done;
    expect(out).toContain('Hello Ada');
    expect(out).not.toContain('Loading');
  });

  it('renders a preloaded part synchronously: no fallback, not even once', async () => {
    const { part, hand } = handPart();
    const loading = part.preload();
    hand.resolve();
    expect(await loading).toBe(Greeting);
    const out = renderToString(createElement(part, { name: 'Bo' }));
    expect(out).toContain('Hello Bo');
    expect(out).not.toContain('Loading');
  });

  it('fetches once however often it is preloaded or rendered', async () => {
    const { part, hand } = handPart();
    const first = part.preload();
    renderToString(createElement(part, { name: 'Cy' }));
    expect(part.preload()).toBe(first);
    hand.resolve();
    await first;
    renderToString(createElement(part, { name: 'Cy' }));
    expect(hand.calls).toBe(1);
  });

  it('rejects with the fetch error and fetches again on the next try', async () => {
    const { part, hand } = handPart();
    const failed = part.preload();
    hand.reject(new Error('Failed to fetch dynamically imported module'));
    await expect(failed).rejects.toThrow('Failed to fetch dynamically imported module');
    const retry = part.preload();
    expect(hand.calls).toBe(2);
    hand.resolve();
    expect(await retry).toBe(Greeting);
  });
});
