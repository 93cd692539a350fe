// Kattis output validator: accepts any permutation of 1..n. Called as
//   validator input answer feedback_dir [flags] < team_output
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

static std::string feedback;

static void say(const char *file, const std::string &text) {
    std::ofstream out(feedback + file, std::ios::app);
    out << text << "\n";
}

static int reject(const std::string &why) {
    say("teammessage.txt", why);
    say("judgemessage.txt", "rejected: " + why);
    return 43;
}

int main(int argc, char **argv) {
    if (argc < 4) return 1;
    feedback = argv[3];
    std::ifstream input(argv[1]);
    long long n;
    if (!(input >> n)) return 1;
    std::vector<bool> seen(n + 1, false);
    for (long long i = 0; i < n; i++) {
        long long x;
        if (!(std::cin >> x)) return reject("too few numbers");
        if (x < 1 || x > n) return reject("number out of range: " + std::to_string(x));
        if (seen[x]) return reject("repeated number: " + std::to_string(x));
        seen[x] = true;
    }
    std::string extra;
    if (std::cin >> extra) return reject("trailing output");
    say("judgemessage.txt", "a permutation of " + std::to_string(n));
    return 42;
}
