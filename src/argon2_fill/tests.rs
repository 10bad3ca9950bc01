//! Known-answer tests from RFC 9106, and differential tests against the `argon2` crate 0.6 and
//! between the kernels.

use proptest::prelude::*;

use super::*;

/// The tag of each variant in RFC 9106 section 5 (version 0x13, password 32 x 0x01, salt 16 x
/// 0x02, secret 8 x 0x03, associated data 12 x 0x04, m=32 KiB, t=3, p=4, 32-byte tag).
const RFC9106_TAGS: [(Algorithm, &str); 3] = [
    (
        Algorithm::Argon2d,
        "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
    ),
    (
        Algorithm::Argon2i,
        "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
    ),
    (
        Algorithm::Argon2id,
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
    ),
];

fn hash_vec(kernel: Kernel, params: &Params, inputs: &Inputs<'_>, out_len: usize) -> Vec<u8> {
    let blocks = params.block_count().expect("valid parameters");
    let mut memory = vec![Block::new(); blocks];
    let mut out = vec![0u8; out_len];
    hash_with_kernel(kernel, params, inputs, &mut out, &mut memory).expect("hash");
    out
}

/// Hashes with the `argon2` crate, the reference implementation here.
fn reference_vec(params: &Params, inputs: &Inputs<'_>, out_len: usize) -> Vec<u8> {
    let data = argon2::AssociatedData::new(inputs.associated_data).expect("data up to 32 bytes");
    let crate_params = argon2::ParamsBuilder::new()
        .m_cost(params.memory_kib)
        .t_cost(params.iterations)
        .p_cost(params.lanes)
        .data(data)
        .output_len(out_len)
        .build()
        .expect("valid parameters");
    let context = argon2::Argon2::new_with_secret(
        inputs.secret,
        params.algorithm,
        params.version,
        crate_params,
    )
    .expect("valid secret");
    let mut out = vec![0u8; out_len];
    context
        .hash_password_into(inputs.password, inputs.salt, &mut out)
        .expect("reference hash");
    out
}

#[test]
fn rfc9106_vectors_every_kernel() {
    let inputs = Inputs {
        password: &[0x01; 32],
        salt: &[0x02; 16],
        secret: &[0x03; 8],
        associated_data: &[0x04; 12],
    };
    for kernel in Kernel::available() {
        for (algorithm, expected) in RFC9106_TAGS {
            let params = Params {
                algorithm,
                version: Version::V0x13,
                memory_kib: 32,
                iterations: 3,
                lanes: 4,
            };
            let tag = hash_vec(kernel, &params, &inputs, 32);
            assert_eq!(
                base16ct::lower::encode_string(&tag),
                expected,
                "{algorithm:?} on {kernel:?}"
            );
        }
    }
}

#[test]
fn detected_kernel_is_available() {
    let detected = format!("{:?}", Kernel::detect());
    let available: Vec<String> = Kernel::available()
        .iter()
        .map(|kernel| format!("{kernel:?}"))
        .collect();
    assert_eq!(available.last(), Some(&detected));
}

#[test]
fn invalid_params_rejected() {
    let valid = Params {
        algorithm: Algorithm::Argon2id,
        version: Version::V0x13,
        memory_kib: 64,
        iterations: 1,
        lanes: 2,
    };
    let cases = [
        (Params { lanes: 0, ..valid }, ParamsError::Lanes(0)),
        (
            Params {
                lanes: MAX_LANES + 1,
                ..valid
            },
            ParamsError::Lanes(MAX_LANES + 1),
        ),
        (
            Params {
                iterations: 0,
                ..valid
            },
            ParamsError::Iterations,
        ),
        (
            Params {
                memory_kib: 15,
                ..valid
            },
            ParamsError::Memory {
                memory_kib: 15,
                lanes: 2,
            },
        ),
    ];
    for (params, expected) in cases {
        assert_eq!(params.block_count(), Err(expected), "{params:?}");
    }
    assert_eq!(valid.block_count(), Ok(64));
    let rounded = Params {
        memory_kib: 71,
        ..valid
    };
    assert_eq!(rounded.block_count(), Ok(64), "rounds down to 4 x lanes");
}

#[test]
fn invalid_inputs_rejected() {
    let params = Params {
        algorithm: Algorithm::Argon2id,
        version: Version::V0x13,
        memory_kib: 8,
        iterations: 1,
        lanes: 1,
    };
    let inputs = Inputs {
        password: b"password",
        salt: b"somesalt",
        secret: &[],
        associated_data: &[],
    };
    let mut memory = vec![Block::new(); 8];

    let short_salt = Inputs {
        salt: b"salt",
        ..inputs
    };
    let mut out = [0u8; 32];
    let err = hash_into(&params, &short_salt, &mut out, &mut memory);
    assert_eq!(err, Err(ParamsError::SaltTooShort(4)));

    let mut short_out = [0u8; 3];
    let err = hash_into(&params, &inputs, &mut short_out, &mut memory);
    assert_eq!(err, Err(ParamsError::OutputLength(3)));

    let err = hash_into(&params, &inputs, &mut out, &mut memory[..7]);
    assert_eq!(
        err,
        Err(ParamsError::MatrixTooSmall {
            blocks: 7,
            needed: 8
        })
    );
}

#[test]
fn longer_matrix_uses_prefix() {
    let params = Params {
        algorithm: Algorithm::Argon2d,
        version: Version::V0x13,
        memory_kib: 16,
        iterations: 2,
        lanes: 1,
    };
    let inputs = Inputs {
        password: b"password",
        salt: b"somesalt",
        secret: &[],
        associated_data: &[],
    };
    let mut exact = [0u8; 32];
    let mut longer = [0u8; 32];
    hash_into(&params, &inputs, &mut exact, &mut [Block::new(); 16]).expect("exact");
    hash_into(&params, &inputs, &mut longer, &mut [Block::new(); 20]).expect("longer");
    assert_eq!(exact, longer);
}

/// Segments of more than 128 blocks, so that data-independent addressing needs several address
/// blocks per segment, which the small parameters of the property tests never reach.
#[test]
fn long_segments_match_argon2_crate() {
    let inputs = Inputs {
        password: b"correct horse battery staple",
        salt: b"0123456789abcdef",
        secret: &[],
        associated_data: &[],
    };
    for algorithm in [Algorithm::Argon2i, Algorithm::Argon2id, Algorithm::Argon2d] {
        for lanes in [1, 3] {
            let params = Params {
                algorithm,
                version: Version::V0x13,
                memory_kib: 2048 + 40,
                iterations: 2,
                lanes,
            };
            let expected = reference_vec(&params, &inputs, 32);
            for kernel in Kernel::available() {
                let tag = hash_vec(kernel, &params, &inputs, 32);
                assert_eq!(tag, expected, "{params:?} on {kernel:?}");
            }
        }
    }
}

fn algorithm_strategy() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Argon2d),
        Just(Algorithm::Argon2i),
        Just(Algorithm::Argon2id),
    ]
}

fn version_strategy() -> impl Strategy<Value = Version> {
    prop_oneof![Just(Version::V0x10), Just(Version::V0x13)]
}

/// Parameters with 1..=4 lanes, 8..=512 KiB (at least 8 per lane) and 1..=4 passes.
fn params_strategy() -> impl Strategy<Value = Params> {
    (
        algorithm_strategy(),
        version_strategy(),
        1u32..=4,
        1u32..=4,
        8u32..=512,
    )
        .prop_map(
            |(algorithm, version, lanes, iterations, memory_kib)| Params {
                algorithm,
                version,
                memory_kib: memory_kib.max(8 * lanes),
                iterations,
                lanes,
            },
        )
}

fn block_strategy() -> impl Strategy<Value = Block> {
    proptest::collection::vec(any::<u64>(), BLOCK_WORDS).prop_map(|words| {
        let mut block = Block::new();
        block.0.copy_from_slice(&words);
        block
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn matches_argon2_crate(
        params in params_strategy(),
        password in proptest::collection::vec(any::<u8>(), 0..80),
        salt in proptest::collection::vec(any::<u8>(), 8..40),
        secret in proptest::collection::vec(any::<u8>(), 0..3),
        associated_data in proptest::collection::vec(any::<u8>(), 0..=32),
        out_len in prop_oneof![4usize..=64, 65usize..=300],
    ) {
        // Keep the secret empty in most cases, as the engine does.
        let secret = if secret.len() == 2 { vec![0x5a; 16] } else { Vec::new() };
        let inputs = Inputs {
            password: &password,
            salt: &salt,
            secret: &secret,
            associated_data: &associated_data,
        };
        let expected = reference_vec(&params, &inputs, out_len);
        for kernel in Kernel::available() {
            let tag = hash_vec(kernel, &params, &inputs, out_len);
            prop_assert_eq!(&tag, &expected, "{:?} on {:?}", params, kernel);
        }
    }

    #[test]
    fn kernels_compress_alike(
        x in block_strategy(),
        y in block_strategy(),
        old in block_strategy(),
        xor_into in any::<bool>(),
    ) {
        let mut expected = old;
        portable::compress(&x, &y, &mut expected, xor_into);
        for kernel in Kernel::available() {
            let mut out = old;
            let mut first_word = None;
            kernel.compress(&x, &y, &mut out, xor_into, &mut |word| first_word = Some(word));
            prop_assert_eq!(out.0, expected.0, "{:?}", kernel);
            prop_assert_eq!(first_word, Some(expected.0[0]), "{:?}", kernel);
        }
    }
}
