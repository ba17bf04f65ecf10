import { describe, expect, it } from 'vitest';
import { addNote, groupSteps, updateGroup } from '../../pipeline/groups';
import { chain, step } from '../../pipeline/test-catalog';
import { removeElements } from '../docOps';
import { EditorStore } from '../store';

const doc = chain(
  step('source-1', 'source', { uri: 'sample:seattle-weather.csv' }),
  step('filter-1', 'filter', { expression: 'temp_max > 15' }),
  step('sort-1', 'sort', { keys: [{ column: 'date' }] }),
);

describe('groups and notes in the editor store', () => {
  it('each edit is one undo step, and redo restores it', () => {
    const store = new EditorStore(doc);
    store.edit((d) => groupSteps(d, ['filter-1', 'sort-1']).doc);
    store.edit((d) => updateGroup(d, 'group:1', { collapsed: true }));
    store.edit((d) => addNote(d, { x: 0, y: 0 }, { text: 'n' }).doc);
    expect(store.getState().doc.notes).toHaveLength(1);
    store.undo();
    expect(store.getState().doc.notes).toBeUndefined();
    store.undo();
    expect(store.getState().doc.groups?.[0]?.collapsed).toBeUndefined();
    store.undo();
    expect(store.getState().doc.groups).toBeUndefined();
    store.redo();
    store.redo();
    expect(store.getState().doc.groups?.[0]?.collapsed).toBe(true);
  });

  it('keeps selected groups and notes selected across edits, and deletes them', () => {
    const store = new EditorStore(doc);
    store.edit((d) => addNote(groupSteps(d, ['filter-1']).doc, { x: 0, y: 0 }).doc);
    store.select(['group:1', 'note:1', 'sort-1'], []);
    store.edit((d) => updateGroup(d, 'group:1', { title: 'Warm' }));
    expect(store.getState().selectedSteps).toEqual(['group:1', 'note:1', 'sort-1']);
    store.edit((d) => removeElements(d, ['group:1', 'note:1'], []));
    const after = store.getState();
    expect(after.doc.groups).toBeUndefined();
    expect(after.doc.notes).toBeUndefined();
    expect(after.doc.steps).toHaveLength(3); // a group's steps stay when its frame goes
    expect(after.selectedSteps).toEqual(['sort-1']);
    store.undo();
    expect(store.getState().doc.groups?.[0]?.title).toBe('Warm');
  });
});
