# The fake Microsoft servers test themselves (curl over a throwaway CA),
# so a failure in a product test is not a bug of the fake.
exec bash "$(dirname "$0")/../fake/selftest.sh"
