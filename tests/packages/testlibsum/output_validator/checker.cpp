// A checker speaking the testlib protocol without testlib.h: checker input output answer.
// Exit 0 OK, 1 wrong answer, 2 presentation error, 3 checker failure, 7 points (the message starts "points X").
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

static int verdict(int code, const std::string &message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    return code;
}

int main(int argc, char **argv) {
    if (argc < 4) return verdict(3, "FAIL usage: checker input output answer");
    std::ifstream output(argv[2]), answer(argv[3]);
    long long expected;
    if (!(answer >> expected)) return verdict(3, "FAIL the answer file holds no integer");
    std::string token;
    if (!(output >> token)) return verdict(2, "presentation error: no output");
    char *end = nullptr;
    long long found = std::strtoll(token.c_str(), &end, 10);
    if (token.empty() || *end != '\0') return verdict(2, "presentation error: '" + token + "' is not an integer");
    std::string extra;
    if (output >> extra) return verdict(2, "presentation error: extra output '" + extra + "'");
    if (found == expected) return verdict(0, "ok " + std::to_string(found));
    if (found == expected + 1 || found == expected - 1) return verdict(7, "points 0.5 off by one");
    return verdict(1, "wrong answer: expected " + std::to_string(expected) + ", found " + std::to_string(found));
}
