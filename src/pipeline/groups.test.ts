import { describe, expect, it } from 'vitest';
import { removeSteps } from './edit';
import {
  addNote,
  canvasItemIds,
  copyItems,
  groupMoves,
  groupSteps,
  moveNotes,
  pasteItems,
  removeCanvasItems,
  ungroup,
  updateGroup,
  updateNote,
} from './groups';
import { parsePipeline, serializePipeline } from './serialize';
import { chain, deepFreeze, step } from './test-catalog';
import type { PipelineDocument } from './types';

/** source-1 → filter-1 → sort-1 → limit-1. Frozen: edits must not mutate it. */
function base(): PipelineDocument {
  return deepFreeze(
    chain(
      step('source-1', 'source', { uri: 'sample:seattle-weather.csv' }),
      step('filter-1', 'filter', { expression: 'temp_max > 15' }),
      step('sort-1', 'sort', { keys: [{ column: 'date' }] }),
      step('limit-1', 'limit', { count: 5 }),
    ),
  );
}

/** base() with filter-1 and sort-1 in group:1 and one note. */
function organised(): PipelineDocument {
  const g = groupSteps(base(), ['filter-1', 'sort-1'], 'Tidy');
  return deepFreeze(addNote(g.doc, { x: 5, y: -100 }, { text: 'why', color: 'blue' }).doc);
}

describe('groupSteps / ungroup', () => {
  it('frames existing steps under a fresh id, ignoring unknown ids and repeats', () => {
    const { doc, groupId } = groupSteps(base(), ['filter-1', 'nope', 'sort-1', 'filter-1']);
    expect(groupId).toBe('group:1');
    expect(doc.groups).toEqual([{ id: 'group:1', title: 'Group', steps: ['filter-1', 'sort-1'] }]);
    expect(groupSteps(doc, ['limit-1']).groupId).toBe('group:2');
  });

  it('returns the same document when no id names a step', () => {
    const doc = base();
    expect(groupSteps(doc, ['nope'])).toEqual({ doc, groupId: null });
  });

  it('moves a step out of its old group (one group per step) and drops a group left empty', () => {
    const doc = organised();
    const r = groupSteps(doc, ['sort-1', 'limit-1']);
    expect(r.doc.groups?.map((g) => [g.id, g.steps])).toEqual([
      ['group:1', ['filter-1']],
      ['group:2', ['sort-1', 'limit-1']],
    ]);
    const again = groupSteps(doc, ['filter-1', 'sort-1']);
    expect(again.doc.groups?.map((g) => g.id)).toEqual(['group:2']);
  });

  it('ungroups by removing the frame only, and the field when the last group goes', () => {
    const doc = ungroup(organised(), ['group:1']);
    expect(doc.groups).toBeUndefined();
    expect(doc.steps).toEqual(base().steps);
    expect(doc.notes).toHaveLength(1);
  });
});

describe('removing steps keeps groups consistent', () => {
  it('takes removed steps out of their group and removes the emptied group', () => {
    const one = removeSteps(organised(), ['sort-1']);
    expect(one.groups).toEqual([{ id: 'group:1', title: 'Tidy', steps: ['filter-1'] }]);
    const none = removeSteps(one, ['filter-1']);
    expect(none.groups).toBeUndefined();
    expect(() => parsePipeline(serializePipeline(none))).not.toThrow();
  });
});

describe('updateGroup / groupMoves', () => {
  it('retitles, collapses and expands (collapsed absent when false)', () => {
    const c = updateGroup(organised(), 'group:1', { collapsed: true, title: 'Clean' });
    expect(c.groups?.[0]).toEqual({
      id: 'group:1',
      title: 'Clean',
      steps: ['filter-1', 'sort-1'],
      collapsed: true,
    });
    expect(updateGroup(c, 'group:1', { collapsed: false }).groups?.[0]).not.toHaveProperty(
      'collapsed',
    );
    expect(() => updateGroup(c, 'group:9', { title: 'x' })).toThrow('no group "group:9"');
  });

  it('moves every step of the group by the same delta, and nothing else', () => {
    const doc = organised();
    const at = (id: string) => doc.steps.find((s) => s.id === id)!.position;
    expect(groupMoves(doc, 'group:1', { x: 10, y: -5 })).toEqual({
      'filter-1': { x: at('filter-1').x + 10, y: at('filter-1').y - 5 },
      'sort-1': { x: at('sort-1').x + 10, y: at('sort-1').y - 5 },
    });
    expect(groupMoves(doc, 'group:9', { x: 1, y: 1 })).toEqual({});
  });
});

describe('notes', () => {
  it('adds, edits, moves and removes a note', () => {
    const { doc, noteId } = addNote(base(), { x: 1, y: 2 });
    expect(noteId).toBe('note:1');
    expect(doc.notes).toEqual([
      {
        id: 'note:1',
        text: '',
        position: { x: 1, y: 2 },
        size: { width: 200, height: 120 },
        color: 'yellow',
      },
    ]);
    const edited = updateNote(doc, noteId, {
      text: 'a\nb',
      color: 'pink',
      size: { width: 300, height: 90 },
    });
    expect(edited.notes?.[0]).toMatchObject({ text: 'a\nb', color: 'pink', size: { width: 300 } });
    expect(moveNotes(edited, { 'note:1': { x: 7, y: 8 } }).notes?.[0]?.position).toEqual({
      x: 7,
      y: 8,
    });
    expect(moveNotes(edited, { other: { x: 7, y: 8 } })).toBe(edited);
    expect(removeCanvasItems(edited, ['note:1']).notes).toBeUndefined();
    expect(() => updateNote(doc, 'note:9', { text: '' })).toThrow('no note "note:9"');
  });

  it('lists group and note ids as canvas items', () => {
    expect(canvasItemIds(organised())).toEqual(new Set(['group:1', 'note:1']));
  });
});

describe('copyItems / pasteItems', () => {
  it('a copied group brings its steps and their edges; pasted, it frames the copies', () => {
    const doc = organised();
    const clip = copyItems(doc, ['group:1', 'note:1']);
    expect(clip.steps.map((s) => s.id)).toEqual(['filter-1', 'sort-1']);
    expect(clip.edges).toHaveLength(1);
    const { doc: out, ids } = pasteItems(doc, clip, { x: 40, y: 40 });
    expect(ids).toEqual(['filter-2', 'sort-2', 'group:2', 'note:2']);
    expect(out.groups?.[1]).toEqual({
      id: 'group:2',
      title: 'Tidy',
      steps: ['filter-2', 'sort-2'],
    });
    expect(out.notes?.[1]).toMatchObject({
      text: 'why',
      color: 'blue',
      position: { x: 45, y: -60 },
    });
    expect(out.edges.some((e) => e.from.step === 'filter-2' && e.to.step === 'sort-2')).toBe(true);
    expect(() => parsePipeline(serializePipeline(out))).not.toThrow();
  });

  it('copying steps alone carries no group', () => {
    const clip = copyItems(organised(), ['filter-1']);
    expect(clip.groups).toEqual([]);
    expect(clip.notes).toEqual([]);
    expect(pasteItems(organised(), clip).doc.groups).toHaveLength(1);
  });

  it('keeps a collapsed group collapsed', () => {
    const doc = updateGroup(organised(), 'group:1', { collapsed: true });
    const out = pasteItems(doc, copyItems(doc, ['group:1'])).doc;
    expect(out.groups?.[1]?.collapsed).toBe(true);
  });
});

describe('parsePipeline checks groups and notes', () => {
  const message = (doc: PipelineDocument) => {
    try {
      parsePipeline(JSON.stringify(doc));
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('round-trips groups and notes exactly', () => {
    const text = serializePipeline(organised());
    expect(parsePipeline(text)).toEqual(organised());
  });

  it('names the path of a broken reference', () => {
    const doc = organised();
    const g = doc.groups![0]!;
    expect(message({ ...doc, groups: [{ ...g, steps: ['filter-1', 'gone-1'] }] })).toBe(
      'invalid pipeline: groups[0].steps[1]: no step "gone-1"',
    );
    expect(message({ ...doc, groups: [g, { ...g, id: 'group:2', steps: ['sort-1'] }] })).toBe(
      'invalid pipeline: groups[1].steps[0]: step "sort-1" is already in group "group:1" (a step is in one group at most)',
    );
    expect(message({ ...doc, groups: [{ ...g, id: 'limit-1' }] })).toBe(
      'invalid pipeline: groups[0].id: id "limit-1" is used twice',
    );
    expect(message({ ...doc, notes: [{ ...doc.notes![0]!, id: 'group:1' }] })).toBe(
      'invalid pipeline: notes[0].id: id "group:1" is used twice',
    );
    expect(message({ ...doc, notes: [{ ...doc.notes![0]!, color: 'red' as 'blue' }] })).toBe(
      'invalid pipeline: notes[0].color: must be one of "yellow", "blue", "green", "pink", "grey"',
    );
  });
});
