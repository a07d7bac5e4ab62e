import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

/** Id of an immutable event entity: the transaction hash followed by the log index (4 bytes, little-endian). */
export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

/**
 * A uint256 as the 32-byte big-endian word it is on chain (an indexed topic). Pod and token ids are such words, so
 * an id read from a log, a URL or the contract is the same bytes. Computed in the mapping, without host calls.
 */
export function word(value: BigInt): Bytes {
  // BigInt is little-endian two's complement; a uint256 with its top bit set carries one extra zero byte.
  const out = new Bytes(32);
  const length = value.length < 32 ? value.length : 32;
  for (let i = 0; i < length; i++) {
    out[31 - i] = value[i];
  }
  return out;
}

/** The number a 32-byte big-endian word holds. */
export function wordToBigInt(w: Bytes): BigInt {
  const le = new Bytes(w.length);
  for (let i = 0; i < w.length; i++) {
    le[i] = w[w.length - 1 - i];
  }
  return BigInt.fromUnsignedBytes(le);
}

/** Token id word of member `index` of a pod: `podId << 8 | index` (pod ids have 248 bits). */
export function tokenKey(podKey: Bytes, index: i32): Bytes {
  const out = new Bytes(32);
  for (let i = 0; i < 31; i++) {
    out[i] = podKey[i + 1];
  }
  out[31] = index as u8;
  return out;
}

/** The pod a token belongs to: `tokenId >> 8`. */
export function podKeyOf(tokenKey: Bytes): Bytes {
  const out = new Bytes(32);
  for (let i = 0; i < 31; i++) {
    out[i + 1] = tokenKey[i];
  }
  return out;
}

/** Member index of a token: its low byte. */
export function indexOf(tokenKey: Bytes): i32 {
  return tokenKey[31] as i32;
}

/** Id of a pod's era `index`. */
export function eraKey(podKey: Bytes, index: i32): Bytes {
  return podKey.concatI32(index);
}

/** Id of an account's membership of a pod: the pod's word ++ the address. */
export function membershipKey(podKey: Bytes, account: Bytes): Bytes {
  return podKey.concat(account);
}

/** Id of one round's check-in of one token. */
export function reportKey(tokenKey: Bytes, round: i32): Bytes {
  return tokenKey.concatI32(round);
}

/** True when every byte is zero (a zero digest or address). */
export function isZero(bytes: Bytes): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] != 0) return false;
  }
  return true;
}
