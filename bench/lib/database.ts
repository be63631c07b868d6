/** A benchmark's topology database holds thousands of agents and events; it goes when the topology has stopped. */
import { MongoClient } from 'mongodb';
import type { Topology } from '../../test/faults/topology';

export async function dropTopologyDatabase(topology: Topology): Promise<void> {
  const mongo = await MongoClient.connect(topology.stack.env['MONGO_URL'] ?? '');
  try {
    await mongo.db(topology.stack.env['MONGO_DB']).dropDatabase();
  } finally {
    await mongo.close();
  }
}
