#!/usr/bin/env python3
"""Prints a PasswordHash for LiveChat:Agents:N:PasswordHash.

The format is ASP.NET Core Identity's V3 hash (what LiveChat's sign-in verifies): PBKDF2 with HMAC-SHA512,
100,000 iterations, a random 16-byte salt and a 32-byte subkey. The password is read from stdin (not argv,
so it stays out of shell history and `ps`):

    printf '%s' 'the password' | python3 deploy/hash-password.py
"""
import base64, hashlib, os, struct, sys

PRF_HMACSHA512, ITERATIONS, SALT_BYTES, SUBKEY_BYTES = 2, 100_000, 16, 32

def hash_password(password: str) -> str:
    salt = os.urandom(SALT_BYTES)
    subkey = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, ITERATIONS, SUBKEY_BYTES)
    header = b"\x01" + struct.pack(">III", PRF_HMACSHA512, ITERATIONS, SALT_BYTES)
    return base64.b64encode(header + salt + subkey).decode("ascii")

if __name__ == "__main__":
    password = sys.stdin.read().rstrip("\r\n")
    if not password:
        sys.exit("hash-password: give the password on stdin")
    print(hash_password(password))
