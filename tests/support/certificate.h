// TLS material for tests of wss://.
#pragma once

#include <string>

namespace tapir::testing {

// A self-signed certificate for 127.0.0.1 and localhost, and its key, as PEM
// files; the certificate doubles as the client's CA file.
bool writeSelfSigned(const std::string& certPath, const std::string& keyPath);

}  // namespace tapir::testing
