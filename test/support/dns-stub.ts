// A loopback DNS server for tests: answers TXT queries from a table the test edits, NXDOMAIN
// for names it does not hold. Orchard's resolver reaches it through config.dnsServers.
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface DnsStub {
  /** `127.0.0.1:<port>`, for ORCHARD_DNS_SERVERS / config.dnsServers. */
  server: string;
  /** TXT records by name (lower case, no trailing dot); each record is its strings. */
  txt: Map<string, string[][]>;
  /** Names asked, in order. */
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsStub(): Promise<DnsStub> {
  const socket = dgram.createSocket('udp4');
  const txt = new Map<string, string[][]>();
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    queries.push(name);
    const records = question.type === 'TXT' ? txt.get(name) : undefined;
    const answer = dnsPacket.encode({
      type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (records || txt.has(name) ? 0 : 3 /* NXDOMAIN */),
      questions: [question],
      answers: (records ?? []).map((strings) => ({ type: 'TXT' as const, class: 'IN' as const, name: question.name, ttl: 60, data: strings })),
    });
    socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${port}`, txt, queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
