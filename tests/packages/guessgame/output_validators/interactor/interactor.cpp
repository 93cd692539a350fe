// Interactor of "guess" (Kattis protocol): interactor input answer feedback_dir [queries N] < submission > submission.
// input: the upper bound N of the secret (1..N); answer: the secret. Exit 42 accepted, 43 rejected.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static std::string feedback;

static void message(const char *file, const std::string &text)
{
    FILE *f = std::fopen((feedback + file).c_str(), "a");
    if (f) { std::fprintf(f, "%s\n", text.c_str()); std::fclose(f); }
}

static int reject(const std::string &team, const std::string &judge)
{
    message("teammessage.txt", team);
    message("judgemessage.txt", judge);
    return 43;
}

int main(int argc, char **argv)
{
    if (argc < 4) return 1;
    feedback = argv[3];
    long long n = 0, secret = 0, queries = 31;
    FILE *in = std::fopen(argv[1], "r"), *ans = std::fopen(argv[2], "r");
    if (!in || !ans || std::fscanf(in, "%lld", &n) != 1 || std::fscanf(ans, "%lld", &secret) != 1) return 1;
    for (int i = 4; i + 1 < argc; i++)
        if (std::strcmp(argv[i], "queries") == 0) queries = std::atoll(argv[i + 1]);
    std::string judge = "secret was " + std::to_string(secret);

    std::printf("%lld\n", n);
    std::fflush(stdout);
    for (long long asked = 0;; ) {
        char kind[8];
        long long g;
        if (std::scanf("%7s", kind) != 1)
            return reject("the submission stopped before answering", judge);
        if (std::scanf("%lld", &g) != 1 || (std::strcmp(kind, "?") != 0 && std::strcmp(kind, "!") != 0))
            return reject("expected '? g' or '! g'", judge);
        if (g < 1 || g > n)
            return reject("guess " + std::to_string(g) + " is out of range 1.." + std::to_string(n), judge);
        if (kind[0] == '!') {
            if (g != secret)
                return reject("wrong answer " + std::to_string(g), judge);
            message("teammessage.txt", "found with " + std::to_string(asked) + " queries");
            return 42;
        }
        if (++asked > queries)
            return reject("more than " + std::to_string(queries) + " queries", judge);
        std::printf("%s\n", secret < g ? "<" : secret > g ? ">" : "=");
        std::fflush(stdout);
    }
}
