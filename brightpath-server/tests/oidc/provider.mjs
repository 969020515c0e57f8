// A local OpenID provider for the sign-in tests: prints one JSON line with
// its issuer URL, then serves until killed. The ID token's claims come from
// the environment: MOCK_EMAIL, MOCK_SUB, and MOCK_MODE = ok | unverified |
// no_email | wrong_aud | expired | bad_nonce | rotate (a new signing key
// appears after discovery: the ID token is signed with it).
import { OAuth2Server } from "oauth2-mock-server";

const mode = process.env.MOCK_MODE ?? "ok";
const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
await server.start(0, "127.0.0.1");
const port = server.address().port;
// Advertise 127.0.0.1, not localhost, so the issuer matches what we call.
server.issuer.url = `http://127.0.0.1:${port}`;
server.service.on("beforeTokenSigning", (token) => {
  // The access token carries a scope claim; the ID token does not.
  if (token.payload.scope !== undefined) return;
  token.payload.sub = process.env.MOCK_SUB ?? "google-sub-1";
  if (mode !== "no_email") {
    token.payload.email = process.env.MOCK_EMAIL ?? "maria@example.org";
    token.payload.email_verified = mode !== "unverified";
  }
  if (mode === "wrong_aud") token.payload.aud = "someone-else";
  if (mode === "expired") token.payload.exp = Math.floor(Date.now() / 1000) - 3600;
  if (mode === "bad_nonce") token.payload.nonce = "not-the-one-we-sent";
});
if (mode === "rotate") {
  // Keys are used in turn: the access token takes the first, the ID token
  // the one made here, which the relying party has not seen yet.
  server.service.once("beforeAuthorizeRedirect", () => {
    server.issuer.keys.generate("RS256");
  });
}
console.log(JSON.stringify({ issuer: server.issuer.url }));
