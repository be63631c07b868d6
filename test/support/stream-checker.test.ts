import { checkStream, sumReports } from './stream-checker';

describe('checkStream', () => {
  it('reports a complete, ordered stream as clean', () => {
    expect(checkStream([1, 2, 3], [1, 2, 3])).toEqual({ expected: 3, received: 3, lost: 0, duplicated: 0, reordered: 0, unexpected: 0 });
  });

  it('counts lost, duplicated, reordered and unexpected events apart', () => {
    expect(checkStream([1, 2, 3, 4, 5], [1, 3, 2, 3, 5, 9])).toEqual({
      expected: 5,
      received: 6,
      lost: 1, // 4
      duplicated: 1, // the second 3
      reordered: 1, // 2 after 3
      unexpected: 1, // 9
    });
  });

  it('adds reports up', () => {
    const total = sumReports([checkStream([1, 2], [1]), checkStream([1], [1, 1])]);
    expect(total).toEqual({ expected: 3, received: 3, lost: 1, duplicated: 1, reordered: 0, unexpected: 0 });
  });
});
