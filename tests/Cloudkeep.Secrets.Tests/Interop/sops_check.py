"""An independent reading of the published sops file format, used by the interoperability tests.

Given a sops-encrypted JSON or dotenv file and its data key (hex), it decrypts every value with
AES-256-GCM (32-byte IV, additional data = the path of keys joined by ':' plus ':'), recomputes the
MAC (SHA-512 over the values in order, upper-case hex) and checks it against the stored MAC, which
it decrypts with lastmodified as additional data. It prints the decrypted document as JSON and
exits 0 only if every value and the MAC check out. It shares no code with cloudkeep; it is run on
sops's own fixtures too, to show it reads sops's format.
"""
import base64
import hashlib
import json
import re
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENC = re.compile(r"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]")
MAC_ONLY_ENCRYPTED_INIT = hashlib.sha256(b"sops").digest()


class Obj(list):
    """A JSON object as an ordered list of pairs."""


def decrypt(key, value, aad):
    m = ENC.match(value)
    data, iv, tag = (base64.b64decode(m.group(i)) for i in (1, 2, 3))
    plain = AESGCM(key).decrypt(iv, data + tag, aad.encode())
    return plain, m.group(4)


def typed(plain, kind):
    text = plain.decode()
    return {"str": text, "int": int(text) if kind == "int" else None, "float": float(text) if kind == "float" else None,
            "bool": text == "True"}[kind] if kind in ("str", "int", "float", "bool") else text


def mac_bytes(value):
    if isinstance(value, bool):
        return b"True" if value else b"False"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, str):
        return value.encode()
    raise ValueError("unsupported plain value type in this checker: %r" % (value,))


def check(tree, meta, key):
    suffix = meta.get("unencrypted_suffix")
    encrypted_regex = meta.get("encrypted_regex")
    if not suffix and not encrypted_regex:
        suffix = "_unencrypted"
    mac_only = meta.get("mac_only_encrypted") in (True, "true")
    h = hashlib.sha512()
    if mac_only:
        h.update(MAC_ONLY_ENCRYPTED_INIT)

    def encrypted(path):
        if encrypted_regex:
            return any(re.search(encrypted_regex, p) for p in path)
        return not any(p.endswith(suffix) for p in path)

    def walk(node, path):
        if isinstance(node, Obj):
            return {k: walk(v, path + [k]) for k, v in node if k != "sops"}
        if isinstance(node, list):
            return [walk(v, path) for v in node]
        if node is None:
            return None
        enc = encrypted(path)
        value = node
        if enc and isinstance(node, str) and node != "":
            plain, kind = decrypt(key, node, ":".join(path) + ":")
            value = typed(plain, kind)
            if not mac_only or enc:
                h.update(plain)
            return value
        if not mac_only or enc:
            h.update(mac_bytes(value))
        return value

    result = walk(tree, [])
    stored, _ = decrypt(key, meta["mac"], meta["lastmodified"])
    computed = h.hexdigest().upper()
    if stored.decode() != computed:
        print("MAC mismatch", file=sys.stderr)
        sys.exit(51)
    return result


def main():
    path, key = sys.argv[1], bytes.fromhex(sys.argv[2])
    text = open(path, encoding="utf-8").read()
    if path.endswith(".env"):
        tree, meta = Obj(), {}
        for line in text.split("\n"):
            if not line or line.startswith("#"):
                continue
            k, v = line.split("=", 1)
            if k.startswith("sops_"):
                meta[k[5:]] = v.replace("\\n", "\n")
            else:
                tree.append((k, v.replace("\\n", "\n")))
    else:
        tree = json.loads(text, object_pairs_hook=Obj)
        meta = dict(dict(tree)["sops"])
    print(json.dumps(check(tree, meta, key), sort_keys=False))


if __name__ == "__main__":
    main()
