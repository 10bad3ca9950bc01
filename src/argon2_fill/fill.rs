//! The memory fill of RFC 9106 section 3.4: the first two blocks of each lane, then every pass
//! slice by slice. Argon2i, and Argon2id in the first half of its first pass, choose reference
//! blocks independently of the data. Argon2d, and the rest of Argon2id, choose them from the
//! previous block.

use zeroize::Zeroizing;

use super::{
    Algorithm, BLOCK_BYTES, BLOCK_WORDS, Block, Kernel, Params, ParamsError, SYNC_POINTS, Version,
    blake2_long,
};

/// The shape of the memory matrix, in blocks.
#[derive(Clone, Copy, Debug)]
pub(super) struct Geometry {
    pub(super) lanes: usize,
    /// Blocks per lane, q in RFC 9106: four segments.
    pub(super) lane_length: usize,
    /// Blocks per segment, one lane's share of a slice.
    pub(super) segment_length: usize,
    /// Blocks in the matrix, m' in RFC 9106.
    pub(super) block_count: usize,
}

/// The position of a segment in the fill.
#[derive(Clone, Copy, Debug)]
struct Position {
    pass: u32,
    slice: usize,
    lane: usize,
}

/// Sets B[lane][0] = H'^1024(H0 || LE32(0) || LE32(lane)) and B[lane][1] likewise with 1.
pub(super) fn fill_first_blocks(
    memory: &mut [Block],
    geometry: &Geometry,
    h0: &[u8; 64],
) -> Result<(), ParamsError> {
    let mut bytes = Zeroizing::new([0u8; BLOCK_BYTES]);
    for lane in 0..geometry.lanes {
        let lane_index = u32::try_from(lane).map_err(|_| ParamsError::Lanes(u32::MAX))?;
        for column in 0..2u32 {
            let parts: [&[u8]; 3] = [h0, &column.to_le_bytes(), &lane_index.to_le_bytes()];
            blake2_long::variable_hash(&parts, &mut bytes[..])?;
            memory[lane * geometry.lane_length + column as usize] = Block::from_le_bytes(&bytes);
        }
    }
    Ok(())
}

/// Runs every pass over `memory`, whose first two blocks of each lane are already set.
pub(super) fn fill_memory(
    kernel: Kernel,
    memory: &mut [Block],
    geometry: &Geometry,
    params: &Params,
) {
    for pass in 0..params.iterations {
        for slice in 0..SYNC_POINTS {
            for lane in 0..geometry.lanes {
                let position = Position { pass, slice, lane };
                fill_segment(kernel, memory, geometry, params, position);
            }
        }
    }
}

fn fill_segment(
    kernel: Kernel,
    memory: &mut [Block],
    geometry: &Geometry,
    params: &Params,
    position: Position,
) {
    let data_independent = match params.algorithm {
        Algorithm::Argon2i => true,
        Algorithm::Argon2d => false,
        Algorithm::Argon2id => position.pass == 0 && position.slice < SYNC_POINTS / 2,
    };
    // Version 0x13 XORs the new block into the old one from the second pass on, and version
    // 0x10 always overwrites.
    let xor_into = position.pass > 0 && params.version == Version::V0x13;
    let first_index = if position.pass == 0 && position.slice == 0 {
        2
    } else {
        0
    };

    let mut addresses = data_independent.then(|| AddressGenerator::new(geometry, params, position));
    let lane_start = position.lane * geometry.lane_length;
    // Only an address for prefetching: it is never dereferenced.
    let base = memory.as_ptr();
    for index in first_index..geometry.segment_length {
        let current = lane_start + position.slice * geometry.segment_length + index;
        let previous = if current == lane_start {
            lane_start + geometry.lane_length - 1
        } else {
            current - 1
        };
        let pseudo_random = match addresses.as_mut() {
            Some(generator) => generator.address(kernel, index),
            None => memory[previous].0[0],
        };
        let reference = reference_block(geometry, position, index, pseudo_random);

        // Data-dependent addressing takes the next reference from this block's first word. The
        // kernel hands that word over as soon as it is final, so the next reference block is
        // on its way into the cache while the rest of this block is computed.
        let prefetch_next = addresses.is_none() && index + 1 < geometry.segment_length;
        let mut on_first_word = |word: u64| {
            if prefetch_next {
                let next = reference_block(geometry, position, index + 1, word);
                kernel.prefetch(base.wrapping_add(next));
            }
        };
        let (previous_block, reference_block, current_block) =
            split_blocks(memory, previous, reference, current);
        kernel.compress(
            previous_block,
            reference_block,
            current_block,
            xor_into,
            &mut on_first_word,
        );
    }
}

/// The pseudo-random values of data-independent addressing: 128 per address block, where an
/// address block is G(0, G(0, Z)) and Z holds the position, the parameters and a counter.
struct AddressGenerator {
    input: Block,
    addresses: Block,
}

impl AddressGenerator {
    fn new(geometry: &Geometry, params: &Params, position: Position) -> Self {
        let mut input = Block::new();
        input.0[0] = u64::from(position.pass);
        input.0[1] = position.lane as u64;
        input.0[2] = position.slice as u64;
        input.0[3] = geometry.block_count as u64;
        input.0[4] = u64::from(params.iterations);
        input.0[5] = params.algorithm as u64;
        AddressGenerator {
            input,
            addresses: Block::new(),
        }
    }

    /// Returns the pseudo-random value for block `index` of the segment. Indices must come in
    /// increasing order, so that each address block is made once, when its first index comes.
    fn address(&mut self, kernel: Kernel, index: usize) -> u64 {
        // The first segment starts at index 2, which still needs the first address block.
        if index.is_multiple_of(BLOCK_WORDS) || self.input.0[6] == 0 {
            self.input.0[6] += 1;
            let zero = Block::new();
            let mut once = Block::new();
            kernel.compress(&zero, &self.input, &mut once, false, &mut |_| {});
            kernel.compress(&zero, &once, &mut self.addresses, false, &mut |_| {});
        }
        self.addresses.0[index % BLOCK_WORDS]
    }
}

/// Maps a pseudo-random value to the absolute index of the reference block, RFC 9106
/// section 3.4.1.2.
fn reference_block(
    geometry: &Geometry,
    position: Position,
    index: usize,
    pseudo_random: u64,
) -> usize {
    let j1 = pseudo_random & 0xFFFF_FFFF;
    let j2 = pseudo_random >> 32;

    // The first slice of the first pass only has blocks of its own lane to reference.
    let reference_lane = if (position.pass == 0 && position.slice == 0) || geometry.lanes == 1 {
        position.lane
    } else {
        (j2 % geometry.lanes as u64) as usize
    };
    let same_lane = reference_lane == position.lane;

    // The blocks that may be referenced: the finished segments of the reference lane (in later
    // passes, the three segments before this one), plus, in the block's own lane, the blocks of
    // this segment before the previous block. In another lane, RFC 9106 also excludes the last
    // finished block when the current block is the first of its segment.
    let finished = if position.pass == 0 {
        position.slice * geometry.segment_length
    } else {
        geometry.lane_length - geometry.segment_length
    };
    let area = if same_lane {
        finished + index - 1
    } else if index == 0 {
        finished - 1
    } else {
        finished
    } as u64;

    // Squaring J1 biases the choice towards recent blocks.
    let x = (j1 * j1) >> 32;
    let y = (area * x) >> 32;
    let relative = (area - 1 - y) as usize;

    let start = if position.pass == 0 || position.slice == SYNC_POINTS - 1 {
        0
    } else {
        (position.slice + 1) * geometry.segment_length
    };
    // start + relative < 2 x lane_length, so one subtraction takes the remainder without the
    // latency of a division on this block's critical path.
    let mut column = start + relative;
    if column >= geometry.lane_length {
        column -= geometry.lane_length;
    }
    reference_lane * geometry.lane_length + column
}

/// Borrows the previous and reference blocks for reading and the current block for writing.
/// The reference area never holds the current block, so `current` differs from the others.
fn split_blocks(
    memory: &mut [Block],
    previous: usize,
    reference: usize,
    current: usize,
) -> (&Block, &Block, &mut Block) {
    let (before, rest) = memory.split_at_mut(current);
    let (current_block, after) = rest
        .split_first_mut()
        .expect("the current block lies inside the matrix");
    let pick = |index: usize| -> &Block {
        if index < current {
            &before[index]
        } else {
            &after[index - current - 1]
        }
    };
    (pick(previous), pick(reference), current_block)
}
