package io.prenas.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;

/**
 * The import rule of the project, in one place:
 * <ul>
 *   <li>pure algorithm code ({@code space}, {@code tensorio}, {@code fileio}) imports neither DJL nor Spring nor
 *       JobRunr;</li>
 *   <li>engine code ({@code supernet}, {@code selector}, {@code training}, {@code data}, {@code export}) may use DJL
 *       but not Spring or JobRunr;</li>
 *   <li>edge code ({@code cli}, {@code api}, {@code catalog}, {@code job}, {@code storage}, {@code security},
 *       {@code observability}) never touches DJL types: it calls the engine through entry points that take and
 *       return plain records;</li>
 *   <li>{@code system} is the one place where Spring meets the engine.</li>
 * </ul>
 */
class LayeringTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.prenas");

  private static final String DJL = "ai.djl..";
  private static final String SPRING = "org.springframework..";
  private static final String JOBRUNR = "org.jobrunr..";

  @Test
  void importRuleHolds() {
    ArchRule pure = noClasses()
        .that().resideInAnyPackage("io.prenas.space..", "io.prenas.tensorio..", "io.prenas.fileio..")
        .should().dependOnClassesThat().resideInAnyPackage(DJL, SPRING, JOBRUNR)
        .because("search spaces, counting, tensor files and atomic file writes are pure Java");
    ArchRule engine = noClasses()
        .that().resideInAnyPackage("io.prenas.supernet..", "io.prenas.selector..", "io.prenas.training..",
            "io.prenas.data..", "io.prenas.export..")
        .should().dependOnClassesThat().resideInAnyPackage(SPRING, JOBRUNR)
        .because("the engine runs the same from the CLI, tests and workers");
    ArchRule edges = noClasses()
        .that().resideInAnyPackage("io.prenas.cli..", "io.prenas.api..", "io.prenas.catalog..", "io.prenas.job..",
            "io.prenas.storage..", "io.prenas.security..",
            "io.prenas.observability..")
        .should().dependOnClassesThat().resideInAnyPackage(DJL)
        .because("no NDArray, NDManager or Model crosses the engine boundary");
    CompositeArchRule.of(pure).and(engine).and(edges).allowEmptyShould(true).check(MAIN);
  }

  /**
   * DJL's {@code Number}-operand arithmetic ({@code mul(Number)}, {@code div(Number)}, {@code add(Number)}, ...)
   * puts the scalar on a Java buffer that is freed while autograd still needs it for the backward pass: gradients
   * then read freed memory. Engine code goes through {@code supernet.Scalars}, which makes the scalar in libtorch.
   */
  @Test
  void noNumberOperandArithmeticOnEngineArrays() {
    ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName("io.prenas.supernet.Scalars")
        .should().callMethodWhere(numberOperandOfNdArray())
        .because("the scalar operand of DJL's Number overloads is freed before backward reads it; use Scalars");
    rule.allowEmptyShould(true).check(MAIN);
  }

  private static DescribedPredicate<JavaMethodCall> numberOperandOfNdArray() {
    return DescribedPredicate.describe("a method of NDArray/NDArrays with a java.lang.Number parameter", call -> {
      boolean ndOwner = call.getTargetOwner().isAssignableTo(NDArray.class)
          || call.getTargetOwner().isEquivalentTo(NDArrays.class);
      return ndOwner && call.getTarget().getRawParameterTypes().stream()
          .anyMatch(t -> t.isEquivalentTo(Number.class));
    });
  }
}
