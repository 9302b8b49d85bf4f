package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeyFile is where a generated encryption key is kept when none is given.
func KeyFile(dbPath string) string { return dbPath + ".key" }

// ParseKey accepts 32 bytes as 64 hex characters or as (raw or padded, std or URL) base64.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("store: the encryption key must be 32 bytes, as 64 hex characters or base64")
}

// loadKey returns the given key, or the one in <db>.key, generating that file (0600)
// on first use.
func loadKey(dbPath, given string) ([]byte, error) {
	if given != "" {
		return ParseKey(given)
	}
	file := KeyFile(dbPath)
	if b, err := os.ReadFile(file); err == nil {
		return ParseKey(string(b))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("store: reading %s: %w", file, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process won the race
		b, rerr := os.ReadFile(file)
		if rerr != nil {
			return nil, rerr
		}
		return ParseKey(string(b))
	}
	if err != nil {
		return nil, fmt.Errorf("store: creating %s: %w", file, err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead}, nil
}

// seal encrypts plain bound to context (e.g. the credential id): nonce || ciphertext.
func (s *sealer) seal(plain []byte, context string) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return s.aead.Seal(nonce, nonce, plain, []byte(context))
}

func (s *sealer) open(sealed []byte, context string) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("store: sealed value too short")
	}
	return s.aead.Open(nil, sealed[:n], sealed[n:], []byte(context))
}

const keyCheckContext = "flero key check"

// useKey seals with key from now on, after checking that it opens what the database
// already holds (checkKey): the last step of opening a store, on either engine.
func (s *Store) useKey(key []byte) error {
	var err error
	if s.crypto, err = newSealer(key); err != nil {
		return err
	}
	return s.checkKey(context.Background())
}

// checkKey refuses to run with a key other than the one the database was sealed with.
func (s *Store) checkKey(ctx context.Context) error {
	return s.Write(ctx, func(tx *Tx) error {
		var sealed []byte
		err := tx.row(`SELECT value FROM meta WHERE key = 'key_check'`, nil, &sealed)
		if errors.Is(err, ErrNotFound) {
			_, err = tx.exec(`INSERT INTO meta (key, value) VALUES ('key_check', ?)`, s.crypto.seal([]byte("ok"), keyCheckContext))
			return err
		}
		if err != nil {
			return err
		}
		if _, err := s.crypto.open(sealed, keyCheckContext); err != nil {
			return errors.New("store: the encryption key does not match the one this database was created with")
		}
		return nil
	})
}

// HashToken is the stored form of an API token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a new random API token ("flr_" + 43 base64url characters).
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "flr_" + base64.RawURLEncoding.EncodeToString(b)
}
