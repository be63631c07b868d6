import { createSubjects } from './subjects';

describe('subjects', () => {
  const talkId = '6f1c1f4e-8a39-4a4b-9b55-0c2f7d1d2e10';
  const agentId = '0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21';

  it('builds the contract subjects without a prefix', () => {
    const subjects = createSubjects();
    expect(subjects.talkEvent(talkId, 'message_created')).toBe(`talk.${talkId}.message_created`);
    expect(subjects.talkEvents(talkId)).toBe(`talk.${talkId}.*`);
    expect(subjects.agentTalks(agentId)).toBe(`agent.${agentId}.talks`);
    expect(subjects.typing(talkId)).toBe(`typing.${talkId}`);
    expect(subjects.read(talkId, agentId)).toBe(`read.${talkId}.${agentId}`);
    expect(subjects.readsInTalk(talkId)).toBe(`read.${talkId}.*`);
    expect(subjects.readsOfAgent(agentId)).toBe(`read.*.${agentId}`);
    expect(subjects.streamName).toBe('TALK_PARTICIPANTS');
    expect(subjects.streamSubjects).toEqual(['talk.*.participant_joined', 'talk.*.participant_left']);
  });

  it('puts the prefix in front of every subject and names the stream after it', () => {
    const subjects = createSubjects('t1a2.');
    expect(subjects.talkEvent(talkId, 'participant_left')).toBe(`t1a2.talk.${talkId}.participant_left`);
    expect(subjects.agentTalks(agentId)).toBe(`t1a2.agent.${agentId}.talks`);
    expect(subjects.typing(talkId)).toBe(`t1a2.typing.${talkId}`);
    expect(subjects.read(talkId, agentId)).toBe(`t1a2.read.${talkId}.${agentId}`);
    expect(subjects.streamName).toBe('TALK_PARTICIPANTS_t1a2');
    expect(subjects.streamSubjects).toEqual(['t1a2.talk.*.participant_joined', 't1a2.talk.*.participant_left']);
  });

  it('streams participant events only', () => {
    const subjects = createSubjects();
    expect(subjects.isStreamed('participant_joined')).toBe(true);
    expect(subjects.isStreamed('participant_left')).toBe(true);
    expect(subjects.isStreamed('message_created')).toBe(false);
    expect(subjects.isStreamed('talk_closed')).toBe(false);
  });

  it.each(['a.b', 'talk*', '>', '', 'x y'])('refuses %j as an id token', (bad) => {
    expect(() => createSubjects().talkEvents(bad)).toThrow(/not a valid NATS subject token/);
    expect(() => createSubjects().agentTalks(bad)).toThrow(/not a valid NATS subject token/);
  });

  it.each(['x', '.x.', 'a..', 'a.*.', 'a b.'])('refuses %j as a prefix', (bad) => {
    expect(() => createSubjects(bad)).toThrow(/subject prefix/);
  });
});
