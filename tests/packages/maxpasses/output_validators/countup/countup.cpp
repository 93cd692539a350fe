// Multi-pass validator (Kattis protocol), stateless: everything it needs is in this pass's input file, as problemtools
// runs it (each pass's input is the previous pass's nextpass.in). Input "r v": the submission must print v + r; with r > 0
// the next pass gets "r-1 (v+r)", with r = 0 the printed value must equal the answer file.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

static int reject(const std::string& feedback, const std::string& why) {
    std::ofstream(feedback + "teammessage.txt") << why;
    return 43;
}

int main(int argc, char** argv) {
    if (argc < 4) return 1;
    std::string feedback = argv[3];
    if (!feedback.empty() && feedback.back() != '/') feedback += '/';
    long long r, v, answer;
    std::ifstream(argv[1]) >> r >> v;
    std::ifstream(argv[2]) >> answer;
    long long got;
    if (!(std::cin >> got)) return reject(feedback, "no number");
    if (got != v + r) return reject(feedback, "expected " + std::to_string(v + r) + " with " + std::to_string(r) + " passes to go");
    std::ofstream(feedback + "judgemessage.txt", std::ios::app) << "pass with " << r << " to go ok\n";
    if (r > 0) {
        std::ofstream(feedback + "nextpass.in") << (r - 1) << ' ' << got << '\n';
        return 42;
    }
    return got == answer ? 42 : 1; // the answer file disagreeing with the passes is a judge error
}
