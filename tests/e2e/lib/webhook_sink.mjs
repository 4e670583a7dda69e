// Webhook receivers for the e2e tests: a request handler that pushes every delivery's body and
// Authorization header to `sink` and answers 200, and a listen on a free loopback port.
export function collectHooks(sink) {
  return (req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      sink.push({ raw: body, auth: req.headers.authorization });
      res.writeHead(200).end();
    });
  };
}

export async function listenOnLoopback(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
