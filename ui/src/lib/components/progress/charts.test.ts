import { describe, expect, it } from 'vitest';
import { coverageRows, heatCells, scoreLines, withAlpha } from './charts';

describe('heatCells', () => {
  it('lays the days out Monday-first, a column per week', () => {
    // 2025-06-01 was a Sunday, 2025-06-02 a Monday.
    const cells = heatCells([
      { day: '2025-06-01', count: 2 },
      { day: '2025-06-02', count: 0 },
      { day: '2025-06-08', count: 1 },
      { day: '2025-06-09', count: 0 },
    ]);
    expect(cells.map((c) => [c.week, c.weekday])).toEqual([
      [0, 6],
      [1, 0],
      [1, 6],
      [2, 0],
    ]);
  });
});

describe('coverageRows', () => {
  it('names each bar by its module and, cut short, its note, and gives the answered share', () => {
    const rows = coverageRows([
      { note: 'go.md', noteTitle: 'Golang Deltas - One Stop SDE2 Preparation', module: 'Module 1: Golang', answered: 1, total: 4 },
      { note: 'hr.md', noteTitle: 'HR round', module: null, answered: 0, total: 0 },
    ]);
    expect(rows.map((r) => [r.label, r.share])).toEqual([
      ['Golang Deltas -… › Module 1: Golang', 0.25],
      ['HR round', 0],
    ]);
  });
});

describe('scoreLines', () => {
  it('keeps the cards revealed most recently, each attempt numbered from one', () => {
    const card = (title: string, at: string[]) => ({
      cardId: title,
      note: 'go.md',
      title,
      attempts: at.map((t, i) => ({ at: t, version: i + 1, score: 10 * (i + 1) })),
    });
    const lines = scoreLines(
      [card('old', ['2025-01-01T00:00:00.000Z']), card('new', ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'])],
      1,
    );
    expect(lines).toEqual([
      { title: 'new', attempt: 1, score: 10 },
      { title: 'new', attempt: 2, score: 20 },
    ]);
  });
});

describe('withAlpha', () => {
  it('turns a theme colour into the same colour, see-through', () => {
    expect(withAlpha('#2b6a57', 0.5)).toBe('rgba(43, 106, 87, 0.50)');
    expect(withAlpha('rebeccapurple', 0.5)).toBe('rebeccapurple');
  });
});
