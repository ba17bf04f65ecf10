import { describe, expect, it } from 'vitest';
import { step } from '../../pipeline/test-catalog';
import { GROUP_HEADER_PX, GROUP_PADDING_PX, groupFrame, STEP_SIZE_GUESS } from './geometry';

const at = (id: string, x: number, y: number) => ({ ...step(id, 'limit'), position: { x, y } });

describe('groupFrame', () => {
  const steps = [at('a', 100, 200), at('b', 400, 260), at('c', 0, 0)];
  const group = { id: 'group:1', title: 'g', steps: ['a', 'b'] };

  it('surrounds the measured steps with padding and a title bar, ignoring others', () => {
    const box = groupFrame(group, steps, {
      a: { width: 150, height: 80 },
      b: { width: 160, height: 90 },
    });
    expect(box).toEqual({
      x: 100 - GROUP_PADDING_PX,
      y: 200 - GROUP_PADDING_PX - GROUP_HEADER_PX,
      width: 560 - 100 + 2 * GROUP_PADDING_PX,
      height: 350 - 200 + 2 * GROUP_PADDING_PX + GROUP_HEADER_PX,
    });
  });

  it('guesses the size of a step not measured yet', () => {
    const box = groupFrame({ ...group, steps: ['c'] }, steps, {});
    expect(box?.width).toBe(STEP_SIZE_GUESS.width + 2 * GROUP_PADDING_PX);
  });

  it('has no frame when none of its steps exists', () => {
    expect(groupFrame({ ...group, steps: ['zz'] }, steps, {})).toBeNull();
  });
});
