// Access tokens minted with livekit-server-sdk, exactly as a LiveKit application would.
import { AccessToken } from 'livekit-server-sdk';

export async function mintToken(server, { room, identity, canPublish = true, canSubscribe = true,
                                          ttl = '10m' }) {
  const at = new AccessToken(server.apiKey, server.apiSecret, { identity, ttl });
  at.addGrant({ roomJoin: true, room, canPublish, canSubscribe });
  return at.toJwt();
}
