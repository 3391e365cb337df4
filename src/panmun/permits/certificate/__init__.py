"""The visit certificate (방문증명서 = visit certificate) and its signed token, with no Django:
the token (`token`), the published keys that check it (`keyring`), the printed PDF
(`document`) and the offline checker (`commandline`). Anyone holding a certificate and the
published keys.json can check it with this package alone."""
