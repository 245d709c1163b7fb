@method:IDiscFormat2Data.Write
Feature: IDiscFormat2Data::Write
  Writes a data stream (2048-byte sectors: its size must be a multiple of 2048) to the media, taking
  exclusive access and the tray lock itself for the write and giving them back. Set the recorder and
  the client name first. On sequentially recorded discs the stream is recorded as a new session; on
  rewritable (overwrite) media it is recorded from sector 0.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — a CD-R: the image is a session from LBA 0, the disc stays appendable, the device is free again
    When I call write with a data image of 1000 sectors
    Then it succeeds
    And the data image reads back from LBA 0
    And the disc is appendable
    And the tray is unlocked
    And another client can acquire exclusive access

  Scenario Outline: S_OK — a blank <media> is written from LBA 0 and reads back
    Given a drive with a blank <media>
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When I call write with a data image of 1000 sectors
    Then it succeeds
    And the data image reads back from LBA 0

    Examples:
      | media  |
      | CD-RW  |
      | DVD-R  |
      | DVD+R  |
      | DVD+RW |
      | BD-R   |
      | BD-RE  |

  Scenario: S_OK — on a sequential disc each write is a new session after the previous one
    Given the disc already holds a data session of 500 sectors
    When I call write with a data image of 700 sectors
    Then it succeeds
    And the data image reads back from the start of the last session
    And startAddressOfPreviousSession is not 0

  Scenario: S_OK — Update events: VALIDATING_MEDIA … WRITING_DATA … FINALIZATION, COMPLETED
    When I call write with a data image of 2000 sectors
    Then it succeeds
    And the Update events of the data write went through its actions up to COMPLETED

  Scenario: E_POINTER (0x80004003) — no stream
    When I call write with no stream
    Then it fails with E_POINTER (0x80004003)

  Scenario: E_INVALIDARG (0x80070057) — the data is a number, not a stream
    When I call write with the number 5 as the stream
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_INVALIDARG (0x80070057) — the recorder was never initialized
    Given a DiscFormat2Data on an uninitialized recorder with client name "openimapi conformance"
    When I call write with a data image of 10 sectors
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_IMAPI_RECORDER_REQUIRED (0xC0AA0003) — no recorder
    Given a DiscFormat2Data with no recorder
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_RECORDER_REQUIRED (0xC0AA0003)

  Scenario: E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID (0xC0AA0408) — no client name
    Given a DiscFormat2Data on that recorder with client name ""
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID (0xC0AA0408)

  Scenario: E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (0xC0AA0403) — the stream is not a multiple of 2048 bytes
    When I call write with a stream of 1000 bytes
    Then it fails with E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (0xC0AA0403)
    And the disc is blank

  Scenario: E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA (0xC0AA0404) — larger than the free space
    # A sparse file of 400 000 sectors (819 MB) against an 80-minute CD-R: nothing is read.
    When I call write with a sparse file of 400000 sectors
    Then it fails with E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA (0xC0AA0404)

  Scenario Outline: E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED (0xC0AA0406) — a pressed <media>
    Given a drive with a pressed <media>
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED (0xC0AA0406)
    And another client can acquire exclusive access

    Examples:
      | media   |
      | CD-ROM  |
      | DVD-ROM |

  Scenario: E_IMAPI_DF2DATA_INVALID_MEDIA_STATE (0xC0AA0402) — the CD-R is finalized
    Given the disc already holds a data session of 100 sectors and is closed
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_DF2DATA_INVALID_MEDIA_STATE (0xC0AA0402)

  Scenario: E_IMAPI_DF2DATA_MEDIA_NOT_BLANK (0xC0AA0405) — a DVD+RW holding data, without forceOverwrite
    Given a drive with a blank DVD+RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And I call write with a data image of 100 sectors
    When I call write with a data image of 100 sectors
    Then it fails with E_IMAPI_DF2DATA_MEDIA_NOT_BLANK (0xC0AA0405)

  Scenario: E_IMAPI_DF2DATA_WRITE_IN_PROGRESS (0xC0AA0400) — a second write from the Update handler
    When I write a data image of 2000 sectors and call write again from the Update handler
    Then the second call fails with E_IMAPI_DF2DATA_WRITE_IN_PROGRESS (0xC0AA0400)
    And it succeeds

  Scenario: E_IMAPI_REQUEST_CANCELLED (0xC0AA0002) — cancelWrite from the Update handler
    When I write a data image of 2000 sectors and call cancelWrite from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)

  Scenario: E_FAIL (0x80004005) — the source fails while it is being read
    When I call write with a stream that fails after 1000 sectors
    Then it fails with E_FAIL (0x80004005)
    And another client can acquire exclusive access

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device
    Given another client holds exclusive access as "Other burner"
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call write with a data image of 10 sectors
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command>
    Given the drive will report "<condition>" on the next <command> command
    When I call write with a data image of 1000 sectors
    Then it fails with <hresult> (<value>)
    And another client can acquire exclusive access

    Examples:
      | condition                 | command               | hresult                                       | value      |
      | hardware error            | WRITE                 | E_FAIL                                        | 0x80004005 |
      | invalid address for write | WRITE                 | E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE       | 0xC0AA0301 |
      | reservation conflict      | WRITE                 | E_IMAPI_RECORDER_LOCKED                       | 0xC0AA0210 |
      | no media                  | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready            | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress        | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress    | WRITE                 | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down               | READ DISC INFORMATION | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium       | WRITE                 | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected           | WRITE                 | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | speed mismatch            | SET CD SPEED          | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F |
      | invalid mode parameters   | MODE SELECT           | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 |
      | loss of streaming         | WRITE                 | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response          | READ TRACK INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone               | WRITE                 | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition                 | command               | hresult                                       | value      |
      | command timeout           | WRITE                 | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @fault
  Scenario: E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE (0xC0AA0201) — the drive has no write parameters page
    # The first MODE SENSE asks page 2Ah for the write-protect bit and may fail (the medium is then taken
    # as writable); the second asks page 05h to select the write parameters, and that one must succeed.
    Given the drive will report "no such mode page" on the next 2 MODE SENSE commands
    When I call write with a data image of 1000 sectors
    Then it fails with E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE (0xC0AA0201)
    And another client can acquire exclusive access

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — identifying a DVD+R whose structure the drive cannot return
    Given a drive with a blank DVD+R
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  Scenario: E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED (0xC0AA0407) — a drive without any data write feature (a read-only CD-ROM drive)
    # The recorder must list a feature a data write records with (TAO, incremental streaming, DVD+R,
    # random writable, BD write, ...); a plain CD-ROM drive has no GET CONFIGURATION at all.
    Given a DiscFormat2Data on a read-only CD-ROM drive with client name "openimapi conformance"
    When I call write with a data image of 10 sectors
    Then it fails with E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED (0xC0AA0407)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                  | value      | why                                                                                           |
      | E_OUTOFMEMORY            | 0x8007000E | the stream is read in fixed-size buffers; an allocation failure in Node ends the process        |
      | E_NOTIMPL                | 0x80004001 | every member of the interface is implemented                                                    |
      | S_IMAPI_SPEEDADJUSTED    | 0x00AA0004 | success has no value; the speed the drive used shows in currentWriteSpeed (see SetWriteSpeed)  |
      | S_IMAPI_ROTATIONADJUSTED | 0x00AA0005 | success has no value; the rotation used shows in currentRotationTypeIsPureCAV                  |
      | S_IMAPI_BOTHADJUSTED     | 0x00AA0006 | success has no value; both show in the current* properties                                     |
